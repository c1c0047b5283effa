
4

main.proto"
M
old_name (RoldNamebproto3