package org.alongside.persistence;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.TransactionalException;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Keeps refused requests out of the FFDC logs, at every {@code @Transactional} boundary in the application.
 *
 * <p>Why: Liberty's JTA interceptor (priority 200) writes an FFDC incident, message and stack included, for every
 * runtime exception that leaves a {@code @Transactional} method, unless the annotation lists it in
 * {@code dontRollbackOn}. Alongside answers 4xx by throwing HAPI's runtime exceptions, whose messages quote the
 * request (a conditional reference's search values, an unknown id), so every refused write or read of an unknown id
 * copied request data into {@code logs/ffdc}. Checked exceptions are application exceptions to Liberty: no FFDC.
 *
 * <p>How: two interceptors bound to each transaction type sit around Liberty's. The inner one (inside the
 * transaction) marks the transaction rollback-only, which is what JTA does for a runtime exception, and passes the
 * exception on wrapped in a checked {@link Passing}; Liberty lets it through without an incident and rolls back
 * because of the mark. The outer one unwraps it, so callers see exactly the exception that was thrown. Unexpected
 * failures are still logged, once, by {@code fhir.ErrorMasking}: incident id, classes and code locations, no message.
 */
final class QuietRollback {

    private static final int OUTER = Interceptor.Priority.PLATFORM_BEFORE + 190;
    private static final int INNER = Interceptor.Priority.PLATFORM_BEFORE + 210;

    private QuietRollback() {
    }

    /** A runtime exception on its way through Liberty's transactional interceptor; no message, no stack of its own. */
    static final class Passing extends Exception {
        private static final long serialVersionUID = 1L;

        Passing(RuntimeException failure) {
            super(null, failure, false, false);
        }

        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    /** Inside the transaction: mark it for rollback (unless the method says otherwise) and wrap the exception. */
    abstract static class Inner {

        @Resource(lookup = "java:comp/TransactionSynchronizationRegistry")
        TransactionSynchronizationRegistry transactions;

        @AroundInvoke
        public Object markAndPass(InvocationContext context) throws Exception {
            try {
                return context.proceed();
            } catch (RuntimeException failure) {
                if (rollsBack(context, failure) && transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
                    transactions.setRollbackOnly();
                }
                throw new Passing(failure);
            }
        }

        /** JTA's rule: a runtime exception rolls back unless the boundary lists it in dontRollbackOn. */
        private static boolean rollsBack(InvocationContext context, RuntimeException failure) {
            Transactional boundary = context.getMethod().getAnnotation(Transactional.class);
            if (boundary == null) {
                boundary = context.getMethod().getDeclaringClass().getAnnotation(Transactional.class);
            }
            if (boundary != null) {
                for (Class<?> exempt : boundary.dontRollbackOn()) {
                    if (exempt.isInstance(failure)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /**
     * Outside the transaction: the caller gets the original exception back. Liberty hands an undeclared checked
     * exception on inside a TransactionalException (unless configured to throw checked exceptions as they are).
     */
    abstract static class Outer {

        @AroundInvoke
        public Object unwrap(InvocationContext context) throws Exception {
            try {
                return context.proceed();
            } catch (Passing passing) {
                throw passing.failure();
            } catch (TransactionalException wrapped) {
                if (wrapped.getCause() instanceof Passing passing) {
                    throw passing.failure();
                }
                throw wrapped;
            }
        }
    }

    // One pair per transaction type: the type is a binding member of @Transactional.

    @Interceptor @Transactional(TxType.REQUIRED) @Priority(INNER)
    static class InnerRequired extends Inner {
    }

    @Interceptor @Transactional(TxType.REQUIRED) @Priority(OUTER)
    static class OuterRequired extends Outer {
    }

    @Interceptor @Transactional(TxType.REQUIRES_NEW) @Priority(INNER)
    static class InnerRequiresNew extends Inner {
    }

    @Interceptor @Transactional(TxType.REQUIRES_NEW) @Priority(OUTER)
    static class OuterRequiresNew extends Outer {
    }

    @Interceptor @Transactional(TxType.SUPPORTS) @Priority(INNER)
    static class InnerSupports extends Inner {
    }

    @Interceptor @Transactional(TxType.SUPPORTS) @Priority(OUTER)
    static class OuterSupports extends Outer {
    }

    @Interceptor @Transactional(TxType.MANDATORY) @Priority(INNER)
    static class InnerMandatory extends Inner {
    }

    @Interceptor @Transactional(TxType.MANDATORY) @Priority(OUTER)
    static class OuterMandatory extends Outer {
    }

    @Interceptor @Transactional(TxType.NOT_SUPPORTED) @Priority(INNER)
    static class InnerNotSupported extends Inner {
    }

    @Interceptor @Transactional(TxType.NOT_SUPPORTED) @Priority(OUTER)
    static class OuterNotSupported extends Outer {
    }

    @Interceptor @Transactional(TxType.NEVER) @Priority(INNER)
    static class InnerNever extends Inner {
    }

    @Interceptor @Transactional(TxType.NEVER) @Priority(OUTER)
    static class OuterNever extends Outer {
    }
}
