
ƒ
google.protoio.confluent.cloud.demo.domain"K
outerB

GoogleHome
deviceID (RdeviceID
enabled (Renabledbproto3
„

main.protogoogle.proto"`
TestMessageQ
test_string (20.io.confluent.cloud.demo.domain.outer.GoogleHomeR
testStringbproto3