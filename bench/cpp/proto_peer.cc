// C++ libprotobuf peer of accord-bench's Protobuf rows (bench/run.sh builds it with g++ -O2 against
// pkg-config protobuf, libprotoc, and bench.pb.cc from protoc --cpp_out of the same bench/bench.proto).
//
// Usage: proto_peer PROTO_DIR PROTO_FILE MESSAGE RECORDS.bin CORRUPT.bin
//
// RECORDS.bin and CORRUPT.bin hold a little-endian u32 record count, then per record a u32 length and
// its bytes (accord-bench writes both once, from a fixed seed). Both are read into memory at start-up.
// The process then answers commands on stdin, one a line, so that accord-bench can interleave it with
// its own figures while the peer stays warm:
//
//   run PEER MIN_SECONDS   warm up (passes for MIN_SECONDS/4, at least one), then time whole passes over
//                          the records until MIN_SECONDS have elapsed; prints
//                          `ok PEER passes=P seconds=S checksum=C` (C: the fold of one pass, see below)
//   reject PEER            runs PEER's operation on every corrupted record; prints `reject PEER <0|1 …>`
//                          (1 = accepted)
//   json PATH              writes MessageToJsonString of every record, one a line, to PATH
//   quit
//
// Peers (each the operation accord-bench times on its side, on the same bytes):
//   cpp-skip           io::CodedInputStream over the record; internal::WireFormatLite::SkipMessage, then
//                      ConsumedEntireMessage() (a stray end-group or a 0 tag stops SkipMessage early)
//   cpp-dynamic-parse  one DynamicMessage (DynamicMessageFactory over a DescriptorPool that
//                      compiler::Importer built from PROTO_FILE), reused: ParseFromArray clears it first
//   cpp-generated-parse  one accord::bench::Order (protoc --cpp_out), reused the same way
//   cpp-dynamic-encode / cpp-generated-encode  SerializeToArray of messages parsed before timing, into
//                      one reused buffer (size from GetCachedSize() after the call)
//   cpp-json           generated ParseFromArray (reused message) + util::MessageToJsonString (default
//                      options) into one reused std::string
//
// Checksums (the same folds accord-bench computes on its side): FNV-1a over 64-bit words, starting at
// 0xcbf29ce484222325, h = (h ^ v) * 0x100000001b3, of: skip — each record's length if accepted;
// parse — the `id` field (14) of each message; encode — each output's size and its last byte;
// json — each text's length.
#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wire_format_lite.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench.pb.h"

using google::protobuf::Descriptor;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::compiler::DiskSourceTree;
using google::protobuf::compiler::Importer;
using google::protobuf::compiler::MultiFileErrorCollector;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

namespace {

struct Records {
    std::string storage;
    std::vector<std::pair<size_t, size_t>> spans;  // start, length
    const uint8_t* data(size_t i) const { return reinterpret_cast<const uint8_t*>(storage.data()) + spans[i].first; }
    int size(size_t i) const { return static_cast<int>(spans[i].second); }
    size_t count() const { return spans.size(); }
};

[[noreturn]] void die(const std::string& message) {
    std::cerr << "proto_peer: " << message << std::endl;
    std::exit(1);
}

Records load(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) die(std::string("cannot read ") + path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string data = buffer.str();
    auto u32 = [&](size_t at) {
        if (at + 4 > data.size()) die(std::string("truncated ") + path);
        return uint32_t(uint8_t(data[at])) | uint32_t(uint8_t(data[at + 1])) << 8 |
               uint32_t(uint8_t(data[at + 2])) << 16 | uint32_t(uint8_t(data[at + 3])) << 24;
    };
    Records records;
    uint32_t count = u32(0);
    size_t offset = 4;
    std::vector<std::pair<size_t, size_t>> raw;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t length = u32(offset);
        offset += 4;
        if (offset + length > data.size()) die(std::string("truncated ") + path);
        raw.emplace_back(offset, length);
        offset += length;
    }
    // Records back to back in one buffer, as accord-bench holds them.
    for (auto [start, length] : raw) {
        records.spans.emplace_back(records.storage.size(), length);
        records.storage.append(data, start, length);
    }
    return records;
}

struct Errors : MultiFileErrorCollector {
    void AddError(const std::string& file, int line, int column, const std::string& message) override {
        die(file + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message);
    }
};

inline uint64_t fold(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL; }
constexpr uint64_t kSeed = 0xcbf29ce484222325ULL;

class Peer {
  public:
    Peer(const char* protoDir, const char* protoFile, const char* messageName, Records records, Records corrupt)
        : records_(std::move(records)), corrupt_(std::move(corrupt)) {
        tree_.MapPath("", protoDir);
        importer_ = std::make_unique<Importer>(&tree_, &errors_);
        if (!importer_->Import(protoFile)) die(std::string("cannot import ") + protoFile);
        descriptor_ = importer_->pool()->FindMessageTypeByName(messageName);
        if (!descriptor_) die(std::string("no message ") + messageName);
        idField_ = descriptor_->FindFieldByNumber(14);
        if (!idField_ || idField_->cpp_type() != FieldDescriptor::CPPTYPE_INT64) die("field 14 is not an int64");
        prototype_ = factory_.GetPrototype(descriptor_);
        dynamic_.reset(prototype_->New());
        buffer_.resize(1 << 16);

        // Parse every record with both runtimes; each must serialize back byte for byte (deterministic
        // mode for the check only: map entries sorted by key, as the records are written).
        for (size_t i = 0; i < records_.count(); i++) {
            std::unique_ptr<Message> message(prototype_->New());
            accord::bench::Order order;
            if (!message->ParseFromArray(records_.data(i), records_.size(i))) die("DynamicMessage rejects record " + std::to_string(i));
            if (!order.ParseFromArray(records_.data(i), records_.size(i))) die("generated code rejects record " + std::to_string(i));
            std::string original(reinterpret_cast<const char*>(records_.data(i)), records_.size(i));
            if (deterministic(*message) != original) die("DynamicMessage re-encodes record " + std::to_string(i) + " differently");
            if (deterministic(order) != original) die("generated code re-encodes record " + std::to_string(i) + " differently");
            dynamicMessages_.push_back(std::move(message));
            generatedMessages_.push_back(std::move(order));
        }
    }

    // One pass of `peer` over the records (or the corrupted ones); the fold, or 0 if a record failed.
    uint64_t pass(const std::string& peer, const Records& in, std::vector<int>* verdicts = nullptr) {
        uint64_t h = kSeed;
        size_t n = in.count();
        if (peer == "cpp-skip") {
            for (size_t i = 0; i < n; i++) {
                CodedInputStream input(in.data(i), in.size(i));
                bool ok = WireFormatLite::SkipMessage(&input) && input.ConsumedEntireMessage();
                if (verdicts) { verdicts->push_back(ok); continue; }
                if (!ok) return 0;
                h = fold(h, uint64_t(in.size(i)));
            }
        } else if (peer == "cpp-dynamic-parse") {
            const auto* reflection = dynamic_->GetReflection();
            for (size_t i = 0; i < n; i++) {
                bool ok = dynamic_->ParseFromArray(in.data(i), in.size(i));
                if (verdicts) { verdicts->push_back(ok); continue; }
                if (!ok) return 0;
                h = fold(h, uint64_t(reflection->GetInt64(*dynamic_, idField_)));
            }
        } else if (peer == "cpp-generated-parse") {
            for (size_t i = 0; i < n; i++) {
                bool ok = generated_.ParseFromArray(in.data(i), in.size(i));
                if (verdicts) { verdicts->push_back(ok); continue; }
                if (!ok) return 0;
                h = fold(h, uint64_t(generated_.id()));
            }
        } else if (peer == "cpp-dynamic-encode") {
            for (auto& message : dynamicMessages_) {
                if (!message->SerializeToArray(buffer_.data(), int(buffer_.size()))) return 0;
                int size = message->GetCachedSize();
                h = fold(fold(h, uint64_t(size)), buffer_[size - 1]);
            }
        } else if (peer == "cpp-generated-encode") {
            for (auto& message : generatedMessages_) {
                if (!message.SerializeToArray(buffer_.data(), int(buffer_.size()))) return 0;
                int size = message.GetCachedSize();
                h = fold(fold(h, uint64_t(size)), buffer_[size - 1]);
            }
        } else if (peer == "cpp-json") {
            for (size_t i = 0; i < n; i++) {
                bool ok = generated_.ParseFromArray(in.data(i), in.size(i));
                if (ok) {
                    json_.clear();
                    ok = google::protobuf::util::MessageToJsonString(generated_, &json_).ok();
                }
                if (verdicts) { verdicts->push_back(ok); continue; }
                if (!ok) return 0;
                h = fold(h, uint64_t(json_.size()));
            }
        } else {
            die("unknown peer " + peer);
        }
        return h;
    }

    void run(const std::string& peer, double minSeconds) {
        using Clock = std::chrono::steady_clock;
        auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
        // Warm-up: caches, branch predictors, the allocator's free lists, lazily built reflection tables.
        auto warm = Clock::now();
        do {
            if (pass(peer, records_) == 0) die(peer + " failed during warm-up");
        } while (seconds(warm, Clock::now()) < minSeconds / 4);

        uint64_t checksum = 0;
        uint64_t passes = 0;
        auto start = Clock::now();
        double elapsed = 0;
        do {
            uint64_t h = pass(peer, records_);
            if (h == 0) die(peer + " failed");
            if (passes > 0 && h != checksum) die(peer + " gives different checksums in two passes");
            checksum = h;
            passes++;
            elapsed = seconds(start, Clock::now());
        } while (elapsed < minSeconds);
        std::printf("ok %s passes=%llu seconds=%.6f checksum=%016llx\n", peer.c_str(), (unsigned long long)passes, elapsed,
                    (unsigned long long)checksum);
        std::fflush(stdout);
    }

    void reject(const std::string& peer) {
        std::vector<int> verdicts;
        pass(peer, corrupt_, &verdicts);
        std::printf("reject %s", peer.c_str());
        for (int v : verdicts) std::printf(" %d", v);
        std::printf("\n");
        std::fflush(stdout);
    }

    void dumpJSON(const std::string& path) {
        std::ofstream out(path, std::ios::binary);
        for (size_t i = 0; i < records_.count(); i++) {
            std::string text;
            if (!generated_.ParseFromArray(records_.data(i), records_.size(i)) ||
                !google::protobuf::util::MessageToJsonString(generated_, &text).ok())
                die("MessageToJsonString fails on record " + std::to_string(i));
            out << text << '\n';
        }
        out.close();
        if (!out) die("cannot write " + path);
        std::printf("json %s\n", path.c_str());
        std::fflush(stdout);
    }

  private:
    static std::string deterministic(const Message& message) {
        std::string out;
        {
            google::protobuf::io::StringOutputStream stream(&out);
            google::protobuf::io::CodedOutputStream coded(&stream);
            coded.SetSerializationDeterministic(true);
            message.SerializeToCodedStream(&coded);
        }
        return out;
    }

    Records records_;
    Records corrupt_;
    DiskSourceTree tree_;
    Errors errors_;
    std::unique_ptr<Importer> importer_;
    const Descriptor* descriptor_ = nullptr;
    const FieldDescriptor* idField_ = nullptr;
    DynamicMessageFactory factory_;
    const Message* prototype_ = nullptr;
    std::unique_ptr<Message> dynamic_;
    accord::bench::Order generated_;
    std::vector<std::unique_ptr<Message>> dynamicMessages_;
    std::vector<accord::bench::Order> generatedMessages_;
    std::vector<uint8_t> buffer_;
    std::string json_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) die("usage: proto_peer PROTO_DIR PROTO_FILE MESSAGE RECORDS.bin CORRUPT.bin");
    Peer peer(argv[1], argv[2], argv[3], load(argv[4]), load(argv[5]));
    // The corrupted records would log one line each (invalid UTF-8); verdicts come from return values.
    google::protobuf::SetLogHandler(nullptr);
    std::printf("ready protobuf=%d\n", GOOGLE_PROTOBUF_VERSION);
    std::fflush(stdout);
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream words(line);
        std::string command, argument;
        words >> command >> argument;
        if (command == "run") {
            double minSeconds = 0.25;
            words >> minSeconds;
            peer.run(argument, minSeconds);
        } else if (command == "reject") {
            peer.reject(argument);
        } else if (command == "json") {
            peer.dumpJSON(argument);
        } else if (command == "quit") {
            break;
        } else {
            die("unknown command " + line);
        }
    }
    return 0;
}
