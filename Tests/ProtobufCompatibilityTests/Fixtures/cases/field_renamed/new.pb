
4

main.proto"
M
new_name (RnewNamebproto3