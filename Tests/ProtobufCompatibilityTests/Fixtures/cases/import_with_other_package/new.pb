
‹
google2.protoio.confluent.cloud.demo.domain2"B

GoogleHome
deviceID (RdeviceID
enabled (RenabledBBGoogleImpl2bproto3
€

main.protogoogle2.proto"[
TestMessageL
test_string (2+.io.confluent.cloud.demo.domain2.GoogleHomeR
testStringbproto3