
%

main.proto"
M
b (:trueRb