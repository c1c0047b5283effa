
,

main.proto"
M
s (	Rsbeditionspè