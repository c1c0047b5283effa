
"

main.proto"
M
a (:5Ra