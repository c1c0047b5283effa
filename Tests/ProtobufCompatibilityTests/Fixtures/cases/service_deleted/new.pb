
+

main.proto"
Req"
Resp"
Req2bproto3