
T

main.proto"
Req"
Resp"
Req22'
S
A.Req.Resp
B.Req.Respbproto3