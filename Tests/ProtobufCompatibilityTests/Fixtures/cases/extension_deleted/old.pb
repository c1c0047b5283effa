
<

main.proto"
M
a (Ra*dÈ:
ext.Md (Rext