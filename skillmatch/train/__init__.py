"""Training the sentence↔skill encoder: corpus → distant supervision → negatives → bi-encoder."""
from skillmatch.train.corpus import CorpusReader
from skillmatch.train.distant import DistantSupervision, TrainingPair, TrainingSet
from skillmatch.train.negatives import SAMPLERS, make_sampler
from skillmatch.train.pipeline import distant_training_set, fit_training_set, train_model
from skillmatch.train.trainer import BiEncoderTrainer, TrainingConfig

__all__ = ["BiEncoderTrainer", "CorpusReader", "DistantSupervision", "SAMPLERS", "TrainingConfig", "TrainingPair",
           "TrainingSet", "distant_training_set", "fit_training_set", "make_sampler", "train_model"]
