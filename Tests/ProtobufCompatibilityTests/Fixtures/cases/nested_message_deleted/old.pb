
>

main.proto"(
M
a (Ra
Inner
x (Rxbproto3