
Š
google2.protoio.confluent.cloud.demo.domain"B

GoogleHome
deviceID (	RdeviceID
enabled (RenabledBBGoogleImpl2bproto3


main.protogoogle2.proto"Z
TestMessageK
test_string (2*.io.confluent.cloud.demo.domain.GoogleHomeR
testStringbproto3