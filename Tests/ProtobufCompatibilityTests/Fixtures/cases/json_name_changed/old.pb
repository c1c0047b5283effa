
/

main.proto"
M
total (Rtotalbproto3