
-

main.proto"
M
total (Rsumbproto3