
<

main.proto"
M
a (Ra"
Sub
x (Rxbproto3