
3

main.proto"
M
a (BªRabeditionspè