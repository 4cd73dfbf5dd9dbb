"""Fine-tuning the sLLM on the manuals: seed questions from chunks (`seeds`), agent-style variants
(`paraphrase`), RAFT-style examples with the serving prompt (`raft`) and the dataset file with its stats
and hash (`dataset`). Import from the modules; this file hands nothing on."""
