package org.alongside.sync;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/** Runs work in a transaction of its own: all of a transaction Bundle together, or one batch entry alone. */
@ApplicationScoped
public class Transactions {

    /** Joins the caller's transaction or starts one; a runtime exception rolls everything back. */
    @Transactional(Transactional.TxType.REQUIRED)
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }

    /** Always a new transaction, so that one batch entry's failure leaves the others standing. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public <T> T alone(Supplier<T> work) {
        return work.get();
    }
}
