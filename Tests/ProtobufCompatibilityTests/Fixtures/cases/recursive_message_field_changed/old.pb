
G

main.proto"1
Node
child (2.NodeRchild
v (Rvbproto3