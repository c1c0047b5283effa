
C

main.proto"
Req"
Resp"
Req22
S
A.Req2.Respbproto3