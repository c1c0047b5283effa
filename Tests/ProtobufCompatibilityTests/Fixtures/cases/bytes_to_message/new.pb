
B

main.proto"
M
v (2.SubRv"
Sub
x (Rxbproto3