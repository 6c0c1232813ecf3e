-- Story candidates come from an in-memory band index built from item_signatures
-- (veille/story_index.py): band keys are no longer stored.
DROP TABLE story_bands;
DROP TABLE story_bands_recent;
