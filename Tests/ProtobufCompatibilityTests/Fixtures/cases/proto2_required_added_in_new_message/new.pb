
2

main.proto"
M
a (Ra"
N
x (Rx