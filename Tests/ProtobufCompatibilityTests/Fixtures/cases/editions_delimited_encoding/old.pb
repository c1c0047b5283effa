
G

main.proto"
Sub
x (Rx"
M
s (2.SubRsbeditionspè