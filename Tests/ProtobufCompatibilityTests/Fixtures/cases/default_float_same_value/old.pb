
$

main.proto"
M
f (:1.5Rf