
<

main.proto"
M
v (Rv"
Sub
x (Rxbproto3