-- Story signatures are now computed with veille's own MinHash (numpy, CRC-32 shingle ids)
-- and 24 bands of 2 rows: signatures and band keys of the previous scheme cannot be compared
-- with new ones, so they are dropped. Stories already formed keep their cluster ids; run
-- `veille stories rebuild` to make older items candidates again for new ones.
DELETE FROM story_bands;
DELETE FROM item_signatures;
