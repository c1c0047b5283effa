
5

main.proto"
M
a (Ra
b (	Rbbproto3