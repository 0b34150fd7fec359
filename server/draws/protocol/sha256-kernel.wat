;; SHA-256 of many independent messages of one length, four at a time: message L of a group lives in lane L of
;; every i32x4 value, so one pass of the 64 rounds hashes four messages. The Merkle tree of draw protocol §2 is
;; ~2M such tiny hashes (13-byte leaves, 65-byte inner nodes); through node:crypto each one pays a JS → C++ call
;; that costs more than the hash. Compiled to sha256-kernel.wasm by scripts/build-sha256-kernel.mjs.
;;
;; hash(prefix, src, len, count, dst): for i in 0..count, the digest of prefix ‖ mem[src + i·len, +len) goes to
;; mem[dst + 32·i, +32). One prefix byte because the protocol's domain tag (0x00 leaf, 0x01 node) is not in the
;; level buffer: a level of hashes is then the input of the next level as it stands. len ≤ 118 (two blocks).
;; leaves(hi, lo, w, count, dst): the protocol's leaves H(0x00 ‖ u64be(hi:lo) ‖ u32be(w)) straight from three
;; u32 columns (as the entrant arrays hold them), with no byte packing: a group's four values of a column are
;; one v128 load, and the 13-byte message is four shifted words.
;;
;; Memory map: 0..255 K (64 × i32), 256..1279 W (64 × v128), 1280..1791 one 128-byte padded message per lane,
;; 1792..1919 the state (8 × v128) that $compress updates; callers use heap_base onwards.
;; There is no SIMD rotate, so rotr(x, n) = (x >>> n) | (x << 32 − n).
(module
  (memory (export "memory") 1)
  (global (export "heap_base") i32 (i32.const 2048))
  (data (i32.const 0)
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1"
    "\c1\69\9b\e4\86\47\be\ef\c6\9d\c1\0f\cc\a1\0c\24\6f\2c\e9\2d\aa\84\74\4a\dc\a9\b0\5c\da\88\f9\76"
    "\52\51\3e\98\6d\c6\31\a8\c8\27\03\b0\c7\7f\59\bf\f3\0b\e0\c6\47\91\a7\d5\51\63\ca\06\67\29\29\14"
    "\85\0a\b7\27\38\21\1b\2e\fc\6d\2c\4d\13\0d\38\53\54\73\0a\65\bb\0a\6a\76\2e\c9\c2\81\85\2c\72\92"
    "\a1\e8\bf\a2\4b\66\1a\a8\70\8b\4b\c2\a3\51\6c\c7\19\e8\92\d1\24\06\99\d6\85\35\0e\f4\70\a0\6a\10"
    "\16\c1\a4\19\08\6c\37\1e\4c\77\48\27\b5\bc\b0\34\b3\0c\1c\39\4a\aa\d8\4e\4f\ca\9c\5b\f3\6f\2e\68"
    "\ee\82\8f\74\6f\63\a5\78\14\78\c8\84\08\02\c7\8c\fa\ff\be\90\eb\6c\50\a4\f7\a3\f9\be\f2\78\71\c6")

  ;; Reads four v128 at base + k·stride, transposes them as a 4 × 4 matrix of u32 while swapping each word's bytes
  ;; (SHA-256 is big-endian, WASM little-endian), and stores the first n rows at out + k·ostride. Loads lane words
  ;; into W, and stores lane digests from the state.
  (func $transpose (param $base i32) (param $stride i32) (param $out i32) (param $ostride i32) (param $n i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $v0 (v128.load (local.get $base)))
    (local.set $v1 (v128.load (i32.add (local.get $base) (local.get $stride))))
    (local.set $v2 (v128.load (i32.add (local.get $base) (i32.shl (local.get $stride) (i32.const 1)))))
    (local.set $v3 (v128.load (i32.add (local.get $base) (i32.mul (local.get $stride) (i32.const 3)))))
    ;; t0 = [v0.0, v1.0, v0.1, v1.1] byte-swapped, t2 = [v0.2, v1.2, v0.3, v1.3]; t1, t3 likewise for v2, v3.
    (local.set $t0 (i8x16.shuffle 3 2 1 0 19 18 17 16 7 6 5 4 23 22 21 20 (local.get $v0) (local.get $v1)))
    (local.set $t1 (i8x16.shuffle 3 2 1 0 19 18 17 16 7 6 5 4 23 22 21 20 (local.get $v2) (local.get $v3)))
    (local.set $t2 (i8x16.shuffle 11 10 9 8 27 26 25 24 15 14 13 12 31 30 29 28 (local.get $v0) (local.get $v1)))
    (local.set $t3 (i8x16.shuffle 11 10 9 8 27 26 25 24 15 14 13 12 31 30 29 28 (local.get $v2) (local.get $v3)))
    (v128.store (local.get $out)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then
        (v128.store (i32.add (local.get $out) (local.get $ostride))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))))
    (if (i32.gt_u (local.get $n) (i32.const 2))
      (then
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $ostride) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))))
    (if (i32.gt_u (local.get $n) (i32.const 3))
      (then
        (v128.store (i32.add (local.get $out) (i32.mul (local.get $ostride) (i32.const 3)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3))))))

  ;; One 64-byte block for the four lanes: W[0..15] at 256 in, the state at 1792 updated in place.
  (func $compress
    (local $p i32) (local $q i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $e v128) (local $f v128) (local $g v128) (local $h v128)
    (local $x v128) (local $t1 v128) (local $t2 v128)
    ;; W[16..63] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]; p points at W[t].
    (local.set $p (i32.const 512))
    (loop $schedule
      (local.set $x (v128.load (i32.sub (local.get $p) (i32.const 32))))
      (local.set $t1
        (v128.xor
          (v128.xor
            (v128.or (i32x4.shr_u (local.get $x) (i32.const 17)) (i32x4.shl (local.get $x) (i32.const 15)))
            (v128.or (i32x4.shr_u (local.get $x) (i32.const 19)) (i32x4.shl (local.get $x) (i32.const 13))))
          (i32x4.shr_u (local.get $x) (i32.const 10))))
      (local.set $x (v128.load (i32.sub (local.get $p) (i32.const 240))))
      (local.set $t2
        (v128.xor
          (v128.xor
            (v128.or (i32x4.shr_u (local.get $x) (i32.const 7)) (i32x4.shl (local.get $x) (i32.const 25)))
            (v128.or (i32x4.shr_u (local.get $x) (i32.const 18)) (i32x4.shl (local.get $x) (i32.const 14))))
          (i32x4.shr_u (local.get $x) (i32.const 3))))
      (v128.store (local.get $p)
        (i32x4.add
          (i32x4.add (local.get $t1) (v128.load (i32.sub (local.get $p) (i32.const 112))))
          (i32x4.add (local.get $t2) (v128.load (i32.sub (local.get $p) (i32.const 256))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $schedule (i32.lt_u (local.get $p) (i32.const 1280))))

    (local.set $a (v128.load offset=1792 (i32.const 0)))
    (local.set $b (v128.load offset=1808 (i32.const 0)))
    (local.set $c (v128.load offset=1824 (i32.const 0)))
    (local.set $d (v128.load offset=1840 (i32.const 0)))
    (local.set $e (v128.load offset=1856 (i32.const 0)))
    (local.set $f (v128.load offset=1872 (i32.const 0)))
    (local.set $g (v128.load offset=1888 (i32.const 0)))
    (local.set $h (v128.load offset=1904 (i32.const 0)))

    ;; 64 rounds, eight per iteration so the working variables rotate by name instead of by eight moves a
    ;; round: round t computes t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t], t2 = Σ0(a) + Maj(a, b, c) (Maj picks
    ;; c where a and b differ, else a), then d += t1 and h = t1 + t2 become the next round's e and a.
    ;; p walks K (4 bytes a round), q walks W (16 bytes a round, from 0: W is at offset 256).
    (local.set $p (i32.const 0))
    (local.set $q (i32.const 0))
    (loop $rounds
      ;; round 8i + 0
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $h)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $e) (i32.const 6)) (i32x4.shl (local.get $e) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $e) (i32.const 11)) (i32x4.shl (local.get $e) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $e) (i32.const 25)) (i32x4.shl (local.get $e) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $f) (local.get $g) (local.get $e))
            (i32x4.add
              (i32x4.splat (i32.load offset=0 (local.get $p)))
              (v128.load offset=256 (local.get $q))))))
      (local.set $d (i32x4.add (local.get $d) (local.get $t1)))
      (local.set $h
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $a) (i32.const 2)) (i32x4.shl (local.get $a) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $a) (i32.const 13)) (i32x4.shl (local.get $a) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $a) (i32.const 22)) (i32x4.shl (local.get $a) (i32.const 10))))
            (v128.bitselect (local.get $c) (local.get $a) (v128.xor (local.get $a) (local.get $b))))))
      ;; round 8i + 1
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $g)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $d) (i32.const 6)) (i32x4.shl (local.get $d) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $d) (i32.const 11)) (i32x4.shl (local.get $d) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $d) (i32.const 25)) (i32x4.shl (local.get $d) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $e) (local.get $f) (local.get $d))
            (i32x4.add
              (i32x4.splat (i32.load offset=4 (local.get $p)))
              (v128.load offset=272 (local.get $q))))))
      (local.set $c (i32x4.add (local.get $c) (local.get $t1)))
      (local.set $g
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $h) (i32.const 2)) (i32x4.shl (local.get $h) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $h) (i32.const 13)) (i32x4.shl (local.get $h) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $h) (i32.const 22)) (i32x4.shl (local.get $h) (i32.const 10))))
            (v128.bitselect (local.get $b) (local.get $h) (v128.xor (local.get $h) (local.get $a))))))
      ;; round 8i + 2
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $f)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $c) (i32.const 6)) (i32x4.shl (local.get $c) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $c) (i32.const 11)) (i32x4.shl (local.get $c) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $c) (i32.const 25)) (i32x4.shl (local.get $c) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $d) (local.get $e) (local.get $c))
            (i32x4.add
              (i32x4.splat (i32.load offset=8 (local.get $p)))
              (v128.load offset=288 (local.get $q))))))
      (local.set $b (i32x4.add (local.get $b) (local.get $t1)))
      (local.set $f
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $g) (i32.const 2)) (i32x4.shl (local.get $g) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $g) (i32.const 13)) (i32x4.shl (local.get $g) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $g) (i32.const 22)) (i32x4.shl (local.get $g) (i32.const 10))))
            (v128.bitselect (local.get $a) (local.get $g) (v128.xor (local.get $g) (local.get $h))))))
      ;; round 8i + 3
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $e)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $b) (i32.const 6)) (i32x4.shl (local.get $b) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $b) (i32.const 11)) (i32x4.shl (local.get $b) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $b) (i32.const 25)) (i32x4.shl (local.get $b) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $c) (local.get $d) (local.get $b))
            (i32x4.add
              (i32x4.splat (i32.load offset=12 (local.get $p)))
              (v128.load offset=304 (local.get $q))))))
      (local.set $a (i32x4.add (local.get $a) (local.get $t1)))
      (local.set $e
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $f) (i32.const 2)) (i32x4.shl (local.get $f) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $f) (i32.const 13)) (i32x4.shl (local.get $f) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $f) (i32.const 22)) (i32x4.shl (local.get $f) (i32.const 10))))
            (v128.bitselect (local.get $h) (local.get $f) (v128.xor (local.get $f) (local.get $g))))))
      ;; round 8i + 4
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $d)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $a) (i32.const 6)) (i32x4.shl (local.get $a) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $a) (i32.const 11)) (i32x4.shl (local.get $a) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $a) (i32.const 25)) (i32x4.shl (local.get $a) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $b) (local.get $c) (local.get $a))
            (i32x4.add
              (i32x4.splat (i32.load offset=16 (local.get $p)))
              (v128.load offset=320 (local.get $q))))))
      (local.set $h (i32x4.add (local.get $h) (local.get $t1)))
      (local.set $d
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $e) (i32.const 2)) (i32x4.shl (local.get $e) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $e) (i32.const 13)) (i32x4.shl (local.get $e) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $e) (i32.const 22)) (i32x4.shl (local.get $e) (i32.const 10))))
            (v128.bitselect (local.get $g) (local.get $e) (v128.xor (local.get $e) (local.get $f))))))
      ;; round 8i + 5
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $c)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $h) (i32.const 6)) (i32x4.shl (local.get $h) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $h) (i32.const 11)) (i32x4.shl (local.get $h) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $h) (i32.const 25)) (i32x4.shl (local.get $h) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $a) (local.get $b) (local.get $h))
            (i32x4.add
              (i32x4.splat (i32.load offset=20 (local.get $p)))
              (v128.load offset=336 (local.get $q))))))
      (local.set $g (i32x4.add (local.get $g) (local.get $t1)))
      (local.set $c
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $d) (i32.const 2)) (i32x4.shl (local.get $d) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $d) (i32.const 13)) (i32x4.shl (local.get $d) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $d) (i32.const 22)) (i32x4.shl (local.get $d) (i32.const 10))))
            (v128.bitselect (local.get $f) (local.get $d) (v128.xor (local.get $d) (local.get $e))))))
      ;; round 8i + 6
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $b)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $g) (i32.const 6)) (i32x4.shl (local.get $g) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $g) (i32.const 11)) (i32x4.shl (local.get $g) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $g) (i32.const 25)) (i32x4.shl (local.get $g) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $h) (local.get $a) (local.get $g))
            (i32x4.add
              (i32x4.splat (i32.load offset=24 (local.get $p)))
              (v128.load offset=352 (local.get $q))))))
      (local.set $f (i32x4.add (local.get $f) (local.get $t1)))
      (local.set $b
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $c) (i32.const 2)) (i32x4.shl (local.get $c) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $c) (i32.const 13)) (i32x4.shl (local.get $c) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $c) (i32.const 22)) (i32x4.shl (local.get $c) (i32.const 10))))
            (v128.bitselect (local.get $e) (local.get $c) (v128.xor (local.get $c) (local.get $d))))))
      ;; round 8i + 7
      (local.set $t1
        (i32x4.add
          (i32x4.add
            (local.get $a)
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $f) (i32.const 6)) (i32x4.shl (local.get $f) (i32.const 26)))
                (v128.or (i32x4.shr_u (local.get $f) (i32.const 11)) (i32x4.shl (local.get $f) (i32.const 21))))
              (v128.or (i32x4.shr_u (local.get $f) (i32.const 25)) (i32x4.shl (local.get $f) (i32.const 7)))))
          (i32x4.add
            (v128.bitselect (local.get $g) (local.get $h) (local.get $f))
            (i32x4.add
              (i32x4.splat (i32.load offset=28 (local.get $p)))
              (v128.load offset=368 (local.get $q))))))
      (local.set $e (i32x4.add (local.get $e) (local.get $t1)))
      (local.set $a
        (i32x4.add
          (local.get $t1)
          (i32x4.add
            (v128.xor
              (v128.xor
                (v128.or (i32x4.shr_u (local.get $b) (i32.const 2)) (i32x4.shl (local.get $b) (i32.const 30)))
                (v128.or (i32x4.shr_u (local.get $b) (i32.const 13)) (i32x4.shl (local.get $b) (i32.const 19))))
              (v128.or (i32x4.shr_u (local.get $b) (i32.const 22)) (i32x4.shl (local.get $b) (i32.const 10))))
            (v128.bitselect (local.get $d) (local.get $b) (v128.xor (local.get $b) (local.get $c))))))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (local.set $q (i32.add (local.get $q) (i32.const 128)))
      (br_if $rounds (i32.lt_u (local.get $p) (i32.const 256))))

    (v128.store offset=1792 (i32.const 0) (i32x4.add (local.get $a) (v128.load offset=1792 (i32.const 0))))
    (v128.store offset=1808 (i32.const 0) (i32x4.add (local.get $b) (v128.load offset=1808 (i32.const 0))))
    (v128.store offset=1824 (i32.const 0) (i32x4.add (local.get $c) (v128.load offset=1824 (i32.const 0))))
    (v128.store offset=1840 (i32.const 0) (i32x4.add (local.get $d) (v128.load offset=1840 (i32.const 0))))
    (v128.store offset=1856 (i32.const 0) (i32x4.add (local.get $e) (v128.load offset=1856 (i32.const 0))))
    (v128.store offset=1872 (i32.const 0) (i32x4.add (local.get $f) (v128.load offset=1872 (i32.const 0))))
    (v128.store offset=1888 (i32.const 0) (i32x4.add (local.get $g) (v128.load offset=1888 (i32.const 0))))
    (v128.store offset=1904 (i32.const 0) (i32x4.add (local.get $h) (v128.load offset=1904 (i32.const 0)))))

  ;; The initial hash value H0..H7 in every lane.
  (func $init
    (v128.store offset=1792 (i32.const 0) (i32x4.splat (i32.const 0x6a09e667)))
    (v128.store offset=1808 (i32.const 0) (i32x4.splat (i32.const 0xbb67ae85)))
    (v128.store offset=1824 (i32.const 0) (i32x4.splat (i32.const 0x3c6ef372)))
    (v128.store offset=1840 (i32.const 0) (i32x4.splat (i32.const 0xa54ff53a)))
    (v128.store offset=1856 (i32.const 0) (i32x4.splat (i32.const 0x510e527f)))
    (v128.store offset=1872 (i32.const 0) (i32x4.splat (i32.const 0x9b05688c)))
    (v128.store offset=1888 (i32.const 0) (i32x4.splat (i32.const 0x1f83d9ab)))
    (v128.store offset=1904 (i32.const 0) (i32x4.splat (i32.const 0x5be0cd19))))

  ;; The digests of lanes 0..n−1 (n capped at 4 by $transpose) to out + 32·lane: the state back to lane order.
  (func $digests (param $out i32) (param $n i32)
    (call $transpose (i32.const 1792) (i32.const 16) (local.get $out) (i32.const 32) (local.get $n))
    (call $transpose (i32.const 1856) (i32.const 16) (i32.add (local.get $out) (i32.const 16)) (i32.const 32)
      (local.get $n)))

  (func (export "hash") (param $prefix i32) (param $src i32) (param $len i32) (param $count i32) (param $dst i32)
    (local $blocks i32) (local $lane i32) (local $pad i32) (local $end i32) (local $bits i32)
    (local $g i32) (local $from i32) (local $block i32)
    ;; 1 + len message bytes, the 0x80 marker and the 8-byte bit length, in whole 64-byte blocks.
    (local.set $blocks (i32.shr_u (i32.add (local.get $len) (i32.const 73)) (i32.const 6)))
    (local.set $bits (i32.shl (i32.add (local.get $len) (i32.const 1)) (i32.const 3)))
    ;; Every message has the same length, so the prefix and the padding are written once per call; only the
    ;; len message bytes change from group to group.
    (memory.fill (i32.const 1280) (i32.const 0) (i32.const 512))
    (local.set $lane (i32.const 0))
    (loop $lanes
      (local.set $pad (i32.add (i32.const 1280) (i32.shl (local.get $lane) (i32.const 7))))
      (i32.store8 (local.get $pad) (local.get $prefix))
      (i32.store8 offset=1 (i32.add (local.get $pad) (local.get $len)) (i32.const 0x80))
      (local.set $end (i32.add (local.get $pad) (i32.shl (local.get $blocks) (i32.const 6))))
      (i32.store8 (i32.sub (local.get $end) (i32.const 1)) (local.get $bits))
      (i32.store8 (i32.sub (local.get $end) (i32.const 2)) (i32.shr_u (local.get $bits) (i32.const 8)))
      (i32.store8 (i32.sub (local.get $end) (i32.const 3)) (i32.shr_u (local.get $bits) (i32.const 16)))
      (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
      (br_if $lanes (i32.lt_u (local.get $lane) (i32.const 4))))

    (local.set $g (i32.const 0))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $g) (local.get $count)))
        ;; Lanes past the last message hash the last message again; their digests are not stored.
        (local.set $lane (i32.const 0))
        (loop $copy
          (local.set $from (i32.add (local.get $g) (local.get $lane)))
          (if (i32.ge_u (local.get $from) (local.get $count))
            (then (local.set $from (i32.sub (local.get $count) (i32.const 1)))))
          (memory.copy
            (i32.add (i32.const 1281) (i32.shl (local.get $lane) (i32.const 7)))
            (i32.add (local.get $src) (i32.mul (local.get $from) (local.get $len)))
            (local.get $len))
          (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
          (br_if $copy (i32.lt_u (local.get $lane) (i32.const 4))))
        (call $init)
        (local.set $block (i32.const 0))
        (loop $eachBlock
          ;; W[0..15]: word t of every lane's block, big-endian.
          (local.set $pad (i32.add (i32.const 1280) (i32.shl (local.get $block) (i32.const 6))))
          (call $transpose (local.get $pad) (i32.const 128) (i32.const 256) (i32.const 16) (i32.const 4))
          (call $transpose (i32.add (local.get $pad) (i32.const 16)) (i32.const 128) (i32.const 320) (i32.const 16)
            (i32.const 4))
          (call $transpose (i32.add (local.get $pad) (i32.const 32)) (i32.const 128) (i32.const 384) (i32.const 16)
            (i32.const 4))
          (call $transpose (i32.add (local.get $pad) (i32.const 48)) (i32.const 128) (i32.const 448) (i32.const 16)
            (i32.const 4))
          (call $compress)
          (local.set $block (i32.add (local.get $block) (i32.const 1)))
          (br_if $eachBlock (i32.lt_u (local.get $block) (local.get $blocks))))
        (call $digests (i32.add (local.get $dst) (i32.shl (local.get $g) (i32.const 5)))
          (i32.sub (local.get $count) (local.get $g)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $group))))

  (func (export "leaves") (param $hi i32) (param $lo i32) (param $w i32) (param $count i32) (param $dst i32)
    (local $g i32) (local $at i32) (local $vhi v128) (local $vlo v128) (local $vw v128)
    ;; The one block of a 13-byte message: words 4..14 are zero and word 15 is the bit length 104; words 0..3
    ;; are written per group.
    (memory.fill (i32.const 320) (i32.const 0) (i32.const 176))
    (v128.store offset=496 (i32.const 0) (i32x4.splat (i32.const 104)))
    (local.set $g (i32.const 0))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $g) (local.get $count)))
        ;; Four entrants per load; lanes past count read what follows the column and are not stored.
        (local.set $at (i32.shl (local.get $g) (i32.const 2)))
        (local.set $vhi (v128.load (i32.add (local.get $hi) (local.get $at))))
        (local.set $vlo (v128.load (i32.add (local.get $lo) (local.get $at))))
        (local.set $vw (v128.load (i32.add (local.get $w) (local.get $at))))
        ;; 0x00 ‖ hi ‖ lo ‖ w ‖ 0x80: every word straddles two fields.
        (v128.store offset=256 (i32.const 0) (i32x4.shr_u (local.get $vhi) (i32.const 8)))
        (v128.store offset=272 (i32.const 0)
          (v128.or (i32x4.shl (local.get $vhi) (i32.const 24)) (i32x4.shr_u (local.get $vlo) (i32.const 8))))
        (v128.store offset=288 (i32.const 0)
          (v128.or (i32x4.shl (local.get $vlo) (i32.const 24)) (i32x4.shr_u (local.get $vw) (i32.const 8))))
        (v128.store offset=304 (i32.const 0)
          (v128.or (i32x4.shl (local.get $vw) (i32.const 24)) (i32x4.splat (i32.const 0x00800000))))
        (call $init)
        (call $compress)
        (call $digests (i32.add (local.get $dst) (i32.shl (local.get $g) (i32.const 5)))
          (i32.sub (local.get $count) (local.get $g)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $group)))))
