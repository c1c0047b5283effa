
•

main.proto";
TestMessage,
test_string (2.GoogleHomeR
testString"B

GoogleHome
deviceID (RdeviceID
enabled (Renabledbproto3