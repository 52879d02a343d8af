package io.gatehouse.provider.demo;

import java.util.List;

/** A model the demo upstream lists; every endpoint accepts any model name anyway. */
record DemoModel(String id, String displayName) {

    static final List<DemoModel> ALL = List.of(
            new DemoModel("demo-gpt", "Demo GPT"),
            new DemoModel("demo-gpt-mini", "Demo GPT Mini"),
            new DemoModel("demo-claude", "Demo Claude"),
            new DemoModel("demo-embedding", "Demo Embedding"));

    /** A fixed release date, as real model listings carry one. */
    static final long CREATED_EPOCH_SECONDS = 1_735_689_600L; // 2025-01-01T00:00:00Z
}
