
„
google.protoio.confluent.cloud.demo.domain2"K
outerB

GoogleHome
deviceID (	RdeviceID
enabled (Renabledbproto3
…

main.protogoogle.proto"a
TestMessageR
test_string (21.io.confluent.cloud.demo.domain2.outer.GoogleHomeR
testStringbproto3