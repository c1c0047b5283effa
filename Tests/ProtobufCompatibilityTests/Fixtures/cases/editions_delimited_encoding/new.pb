
N

main.proto"
Sub
x (Rx"
M
s (2.SubBª(Rsbeditionspè