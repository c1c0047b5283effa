
"

main.proto"
M
a (:6Ra