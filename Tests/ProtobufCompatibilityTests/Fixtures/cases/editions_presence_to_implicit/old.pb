
,

main.proto"
M
a (Rabeditionspè