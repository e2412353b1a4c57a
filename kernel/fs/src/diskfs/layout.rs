//! The on-store binary layout: superblocks, log frames, checksums.
//!
//! ```text
//! offset 0      superblock slot 0 (one 4 KiB block)
//! offset 4096   superblock slot 1
//! offset 8192.. reserved up to DATA_START_BLOCK, then data blocks: file
//!               extents, the JSON snapshot, the log region, all allocated
//!               from one free-block map
//! ```
//!
//! Superblock (little endian): magic "WASMUXFS", version, block size,
//! generation, snapshot (offset, length, crc32), log (offset, capacity),
//! crc32 of everything before it. Mount picks the valid slot with the highest
//! generation; a new superblock goes to the other slot, so a torn superblock
//! write leaves the previous one intact.
//!
//! Log frame: magic "WLOG", payload length, epoch (the generation that
//! created the log region, so frames left over from an earlier use of the
//! same blocks are ignored), crc32 over epoch and payload, then the payload
//! (one JSON batch). Replay stops at the first frame that does not check.

/// Bytes per block: the allocation unit of file data.
pub const BLOCK_SIZE: u64 = 4096;

/// The first block holding data; blocks before it are superblocks and reserved.
pub const DATA_START_BLOCK: u64 = 16;

/// On-disk format version written and understood.
pub const VERSION: u32 = 1;

pub(crate) const MAGIC: &[u8; 8] = b"WASMUXFS";
pub(crate) const SLOT_OFFSETS: [u64; 2] = [0, BLOCK_SIZE];
const SUPERBLOCK_LEN: usize = 64;

const FRAME_MAGIC: u32 = u32::from_le_bytes(*b"WLOG");
pub(crate) const FRAME_HEADER: usize = 20;

/// CRC-32 (IEEE 802.3, reflected) of `data`.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    crc32_update(0, data)
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut index = 0;
    while index < 256 {
        let mut value = index as u32;
        let mut bit = 0;
        while bit < 8 {
            value = if value & 1 != 0 {
                0xEDB8_8320 ^ (value >> 1)
            } else {
                value >> 1
            };
            bit += 1;
        }
        table[index] = value;
        index += 1;
    }
    table
};

pub(crate) fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut crc = !crc;
    for &byte in data {
        crc = CRC_TABLE[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// Where the current metadata lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Superblock {
    pub generation: u64,
    pub snapshot_offset: u64,
    pub snapshot_len: u64,
    pub snapshot_crc: u32,
    pub log_offset: u64,
    pub log_capacity: u64,
}

/// Why a superblock slot did not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SlotError {
    /// No Wasmux magic at all.
    NoMagic,
    /// Magic present, but a version this code does not know.
    Version(u32),
    /// Magic present, checksum or fields wrong.
    Damaged,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    if let Some(slice) = bytes.get(at..at + 4) {
        word.copy_from_slice(slice);
    }
    u32::from_le_bytes(word)
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    if let Some(slice) = bytes.get(at..at + 8) {
        word.copy_from_slice(slice);
    }
    u64::from_le_bytes(word)
}

impl Superblock {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SUPERBLOCK_LEN);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(BLOCK_SIZE as u32).to_le_bytes());
        out.extend_from_slice(&self.generation.to_le_bytes());
        out.extend_from_slice(&self.snapshot_offset.to_le_bytes());
        out.extend_from_slice(&self.snapshot_len.to_le_bytes());
        out.extend_from_slice(&self.snapshot_crc.to_le_bytes());
        out.extend_from_slice(&self.log_offset.to_le_bytes());
        out.extend_from_slice(&self.log_capacity.to_le_bytes());
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Superblock, SlotError> {
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err(SlotError::NoMagic);
        }
        let version = u32_at(bytes, 8);
        if version != VERSION {
            return Err(SlotError::Version(version));
        }
        let body = bytes.get(..SUPERBLOCK_LEN - 4).ok_or(SlotError::Damaged)?;
        if crc32(body) != u32_at(bytes, SUPERBLOCK_LEN - 4)
            || u64::from(u32_at(bytes, 12)) != BLOCK_SIZE
        {
            return Err(SlotError::Damaged);
        }
        Ok(Superblock {
            generation: u64_at(bytes, 16),
            snapshot_offset: u64_at(bytes, 24),
            snapshot_len: u64_at(bytes, 32),
            snapshot_crc: u32_at(bytes, 40),
            log_offset: u64_at(bytes, 44),
            log_capacity: u64_at(bytes, 52),
        })
    }
}

/// Frames `payload` for the log of `epoch`.
pub(crate) fn encode_frame(epoch: u64, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FRAME_HEADER + payload.len());
    out.extend_from_slice(&FRAME_MAGIC.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&epoch.to_le_bytes());
    let crc = crc32_update(crc32(&epoch.to_le_bytes()), payload);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The valid frames of a log region, in order, and where the valid part ends.
pub(crate) fn decode_frames(log: &[u8], epoch: u64) -> (Vec<&[u8]>, u64) {
    let mut frames = Vec::new();
    let mut at = 0usize;
    while let Some(header) = log.get(at..at + FRAME_HEADER) {
        let len = u32_at(header, 4) as usize;
        let Some(payload) = log.get(at + FRAME_HEADER..(at + FRAME_HEADER).saturating_add(len))
        else {
            break;
        };
        let valid = u32_at(header, 0) == FRAME_MAGIC
            && u64_at(header, 8) == epoch
            && u32_at(header, 16) == crc32_update(crc32(&epoch.to_le_bytes()), payload);
        if !valid {
            break;
        }
        frames.push(payload);
        at += FRAME_HEADER + len;
    }
    (frames, at as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn superblock_round_trips_and_detects_damage() {
        let sb = Superblock {
            generation: 7,
            snapshot_offset: 65536,
            snapshot_len: 100,
            snapshot_crc: 5,
            log_offset: 131072,
            log_capacity: 1 << 20,
        };
        let mut bytes = sb.encode();
        assert_eq!(Superblock::decode(&bytes), Ok(sb));
        bytes[20] ^= 1;
        assert_eq!(Superblock::decode(&bytes), Err(SlotError::Damaged));
        assert_eq!(Superblock::decode(&[0; 80]), Err(SlotError::NoMagic));
        assert_eq!(Superblock::decode(&bytes[..30]), Err(SlotError::Damaged));
    }

    #[test]
    fn replay_stops_at_torn_or_stale_frames() {
        let mut log = encode_frame(3, b"one");
        log.extend(encode_frame(3, b"two"));
        let whole = log.len() as u64;
        log.extend(encode_frame(2, b"stale"));
        let (frames, end) = decode_frames(&log, 3);
        assert_eq!(frames, vec![b"one".as_slice(), b"two".as_slice()]);
        assert_eq!(end, whole);
        let torn = &log[..log.len() - 3];
        let mut torn_own = encode_frame(3, b"one");
        torn_own.extend(&encode_frame(3, b"three")[..10]);
        assert_eq!(decode_frames(&torn_own, 3).0.len(), 1);
        assert_eq!(decode_frames(torn, 3).0.len(), 2);
    }
}
