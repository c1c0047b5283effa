
I

main.proto"
M
c (2.Color:BLUERc*
Color
RED
BLUE