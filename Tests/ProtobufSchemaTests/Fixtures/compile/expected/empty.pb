

empty.proto