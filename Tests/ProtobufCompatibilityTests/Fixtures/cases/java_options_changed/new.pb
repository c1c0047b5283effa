
2

main.proto"
M
a (RaB	
com.bPbproto3