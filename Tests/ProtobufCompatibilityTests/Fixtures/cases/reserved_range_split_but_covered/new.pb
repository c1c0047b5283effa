
3

main.proto"
M
a (RaJJbproto3