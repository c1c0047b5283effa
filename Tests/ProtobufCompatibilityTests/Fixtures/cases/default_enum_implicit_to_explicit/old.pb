
C

main.proto"
M
c (2.ColorRc*
Color
RED
BLUE