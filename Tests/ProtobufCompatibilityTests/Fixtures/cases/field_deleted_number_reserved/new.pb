
-

main.proto"
M
a (RaJbproto3