
B

main.proto"
Req"
Resp"
Req22
S
A.Req.Respbproto3