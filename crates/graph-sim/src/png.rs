//! A small PNG writer, so the profile photo and newsletter images are real images of a
//! realistic size without an image library.

use flate2::write::ZlibEncoder;
use flate2::Compression;
use rand::{Rng, SeedableRng};
use std::io::Write;

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// An RGB image of `width`×`height`: a colour gradient with seeded noise, so that it does
/// not compress to nothing (newsletter photos are tens of kilobytes).
pub(crate) fn noisy_png(width: u32, height: u32, seed: u64, noise: u8) -> Vec<u8> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let base: [u8; 3] = rng.random();
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            for (c, b) in base.iter().enumerate() {
                let grad = ((x + y * (c as u32 + 1)) % 256) as u8;
                let jitter = if noise == 0 { 0 } else { rng.random_range(0..noise) };
                raw.push(b.wrapping_add(grad / 2).wrapping_add(jitter));
            }
        }
    }
    let mut z = ZlibEncoder::new(Vec::new(), Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = z.write_all(&raw);
    let idat = z.finish().unwrap_or_default();

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_png_has_the_signature_and_grows_with_noise() {
        let quiet = noisy_png(64, 64, 1, 0);
        let noisy = noisy_png(64, 64, 1, 64);
        assert!(quiet.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(noisy.len() > quiet.len());
        assert_eq!(noisy_png(64, 64, 1, 64), noisy, "the same seed gives the same image");
    }
}
