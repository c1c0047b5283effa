
0

main.proto"
M
a (RaB
com.abproto3