
5

main.proto"
M
b (	Rb
a (Rabproto3