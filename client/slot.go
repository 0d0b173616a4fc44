package client

// Slot returns the Redis Cluster hash slot (0..16383) of key: CRC16 of the
// key, or of its hash tag (the part between the first '{' and the next '}',
// when not empty), modulo 16384. The client routes every command by the
// slot of its first key, so commands on one key share a connection and run
// in the order they were issued.
func Slot(key string) uint16 { return slotOf(key) }

// slotOf is Slot of a key held as a string or as bytes.
func slotOf[K string | []byte](key K) uint16 {
	if i := indexByte(key, '{'); i >= 0 {
		if j := indexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return crc16(key) & 16383
}

func indexByte[K string | []byte](s K, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// crc16 is CRC-16/XMODEM (polynomial 0x1021, initial 0), the variant Redis
// Cluster uses, computed from a table built at start.
func crc16[K string | []byte](s K) uint16 {
	var crc uint16
	for i := 0; i < len(s); i++ {
		crc = crc<<8 ^ crc16Table[byte(crc>>8)^s[i]]
	}
	return crc
}

var crc16Table = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()
