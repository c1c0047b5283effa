

only_syntax.protobproto3