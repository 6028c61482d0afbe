# A second, independent driver (Debian's python3-pymongo) writing and reading every BSON type
# through the embedded server. Usage: bson-types.py URI write|read; prints one JSON line describing
# the stored document: each field's BSON type name and exact value text.
import datetime
import json
import re
import sys
import uuid

from bson import Binary, Decimal128, Int64, MaxKey, MinKey, ObjectId, Regex, Timestamp
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from pymongo import MongoClient

SAMPLE = {
    "_id": 1,
    "i32": 7,
    "i32min": -2147483648,
    "i64small": Int64(5),
    "i64big": Int64(2**40),
    "i64max": Int64(2**63 - 1),
    "i64min": Int64(-(2**63)),
    "dInt": 2.0,
    "dNegZero": -0.0,
    "dNaN": float("nan"),
    "dInf": float("inf"),
    "dNegInf": float("-inf"),
    "dFrac": 1.5,
    "dec": Decimal128("1234567890.123456789012345678901234"),
    "before1970": datetime.datetime(1901, 12, 13, 20, 45, 52),
    "after2038": datetime.datetime(2100, 1, 1),
    "oid": ObjectId("0123456789abcdef01234567"),
    "bin0": Binary(b"hello", 0),
    "uuid": Binary(bytes.fromhex("0123456789abcdef0123456789abcdef"), 4),
    "bin128": Binary(b"\x01\x02\x03", 128),
    "rx": Regex("^a.b", "imsx"),
    "ts": Timestamp(1700000000, 42),
    "min": MinKey(),
    "max": MaxKey(),
    "nested": {"a": [1, Int64(2), 3.0, [4.0, {"x": Int64(9)}]]},
}


def describe(value):
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, Int64):
        return ["int64", str(int(value))]
    if isinstance(value, int):
        return ["int32", str(value)]
    if isinstance(value, float):
        return ["double", repr(value) if value == value else "nan"]
    if isinstance(value, Decimal128):
        return ["decimal128", str(value)]
    if isinstance(value, datetime.datetime):
        return ["date", value.isoformat()]
    if isinstance(value, Binary):
        return ["binary", value.subtype, value.hex()]
    # pymongo hands subtype 0 back as bytes and (with the standard representation) 4 as a UUID.
    if isinstance(value, bytes):
        return ["binary", 0, value.hex()]
    if isinstance(value, uuid.UUID):
        return ["binary", 4, value.hex]
    if isinstance(value, Regex):
        return ["regex", value.pattern, value.flags]
    if isinstance(value, (ObjectId, Timestamp, MinKey, MaxKey)):
        return [type(value).__name__, str(value)]
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, dict):
        return {key: describe(item) for key, item in value.items()}
    return [type(value).__name__, repr(value)]


def main():
    uri, mode = sys.argv[1], sys.argv[2]
    client = MongoClient(uri, serverSelectionTimeoutMS=5000)
    options = CodecOptions(uuid_representation=UuidRepresentation.STANDARD)
    coll = client.get_database("py", codec_options=options).get_collection("types")
    if mode == "write":
        coll.insert_one(SAMPLE)
        coll.insert_one({"_id": 2, "l": Int64(2**40), "small": Int64(5), "d": 2.0, "i": 2147483647})
        coll.update_one({"_id": 2}, {"$inc": {"l": Int64(1), "i": 1}, "$mul": {"d": 3}})
    expected = describe(SAMPLE)
    stored = coll.find_one({"_id": 1})
    if isinstance(stored.get("rx"), re.Pattern):
        raise SystemExit("regex decoded as re.Pattern")
    ops = describe(coll.find_one({"_id": 2}))
    print(json.dumps({"expected": expected, "stored": describe(stored), "ops": ops}))


main()
