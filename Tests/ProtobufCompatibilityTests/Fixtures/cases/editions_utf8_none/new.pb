
3

main.proto"
M
s (	Bª Rsbeditionspè