
ˆ
google.protoio.confluent.cloud.demo.domain"B

GoogleHome
deviceID (RdeviceID
enabled (RenabledBB
GoogleImplbproto3
~

main.protogoogle.proto"Z
TestMessageK
test_string (2*.io.confluent.cloud.demo.domain.GoogleHomeR
testStringbproto3