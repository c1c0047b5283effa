
-

main.proto"
M
id (B0Ridbproto3