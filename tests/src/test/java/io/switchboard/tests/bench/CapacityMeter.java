package io.switchboard.tests.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts every DynamoDB call the store makes and what it consumes, without changing the store: each request is
 * sent with {@code ReturnConsumedCapacity=INDEXES}, and the units the server reports are added up. dynalite reports
 * the table's units only (item size rounded up to 1 KB per write, 4 KB per read, halved for eventually consistent
 * reads), never a secondary index's writes, and nothing for a failed conditional write; so next to what it reports
 * this meter computes the units DynamoDB documents:
 * <ul>
 *   <li>every write that puts or deletes an item carrying an index key also writes that index: +1 WRU per index
 *       entry (entries here are far below 1 KB); an update that changes neither index keys nor projected attributes
 *       writes no index (our indexes are KEYS_ONLY and the counter update touches neither);</li>
 *   <li>a conditional write whose condition fails still consumes 1 WRU (items here are below 1 KB);</li>
 *   <li>a read that returns nothing is charged as one 4 KB unit (0.5 RRU eventually consistent, 1 strongly), which
 *       dynalite counts as 0 for an empty query page.</li>
 * </ul>
 * Thread-safe; {@link #reset()} starts a new window.
 */
final class CapacityMeter implements ExecutionInterceptor {

    /** What the calls of one window cost. */
    static final class Usage {
        final Map<String, Long> calls = new TreeMap<>();
        /** Read units the server reported. */
        double reportedRead;
        /** Write units the server reported (table only, successful writes only, on dynalite). */
        double reportedWrite;
        /** Read units as documented (reported, with empty reads counted as one 4 KB unit). */
        double read;
        /** Table write units as documented (reported, plus 1 per failed conditional write). */
        double tableWrite;
        /** Index write units as documented (not reported by dynalite). */
        double indexWrite;

        double write() {
            return tableWrite + indexWrite;
        }

        long calls(String operation) {
            return calls.getOrDefault(operation, 0L);
        }

        long writeCalls() {
            return calls("PutItem") + calls("UpdateItem") + calls("DeleteItem") + calls("BatchWriteItem");
        }

        long readCalls() {
            return calls("GetItem") + calls("Query") + calls("Scan") + calls("BatchGetItem");
        }

        String callsText() {
            StringBuilder sb = new StringBuilder();
            calls.forEach((op, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(" ").append(op));
            return sb.length() == 0 ? "none" : sb.toString();
        }
    }

    private Usage usage = new Usage();

    /** Starts a new window and returns the previous one. */
    synchronized Usage reset() {
        Usage previous = usage;
        usage = new Usage();
        return previous;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        } else if (request instanceof BatchWriteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(indexes).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        double reported = 0;
        double indexWrites = 0;
        boolean read = false;
        boolean empty = false;
        boolean consistent = false;
        if (response instanceof PutItemResponse r) {
            reported = units(r.consumedCapacity());
            indexWrites = indexEntries(((PutItemRequest) request).item());
        } else if (response instanceof UpdateItemResponse r) {
            reported = units(r.consumedCapacity());
            String expression = ((UpdateItemRequest) request).updateExpression();
            if (expression != null && expression.contains("gsi")) {
                throw new IllegalStateException("an update that changes an index key costs index writes this meter "
                    + "does not count: " + expression);
            }
        } else if (response instanceof DeleteItemResponse r) {
            reported = units(r.consumedCapacity());
            indexWrites = r.hasAttributes() ? indexEntries(r.attributes()) : 0;
        } else if (response instanceof BatchWriteItemResponse r) {
            reported = r.hasConsumedCapacity() ? r.consumedCapacity().stream().mapToDouble(CapacityMeter::units).sum() : 0;
            for (List<WriteRequest> writes : ((BatchWriteItemRequest) request).requestItems().values()) {
                for (WriteRequest write : writes) {
                    if (write.deleteRequest() != null) {
                        String sk = write.deleteRequest().key().get("sk").s();
                        indexWrites += sk.equals("META") || sk.startsWith("S#") ? 1 : 0; // gsi2 or gsi1 entry
                    } else if (write.putRequest() != null) {
                        indexWrites += indexEntries(write.putRequest().item());
                    }
                }
            }
            if (r.hasUnprocessedItems() && !r.unprocessedItems().isEmpty()) {
                throw new IllegalStateException("unprocessed items: the meter would count writes that did not happen");
            }
        } else if (response instanceof GetItemResponse r) {
            read = true;
            reported = units(r.consumedCapacity());
            empty = !r.hasItem() || r.item().isEmpty();
            consistent = Boolean.TRUE.equals(((GetItemRequest) request).consistentRead());
        } else if (response instanceof QueryResponse r) {
            read = true;
            reported = units(r.consumedCapacity());
            empty = r.count() == 0;
            consistent = Boolean.TRUE.equals(((QueryRequest) request).consistentRead());
        }
        synchronized (this) {
            usage.calls.merge(operation, 1L, Long::sum);
            if (read) {
                usage.reportedRead += reported;
                usage.read += empty && reported == 0 ? (consistent ? 1.0 : 0.5) : reported;
            } else {
                usage.reportedWrite += reported;
                usage.tableWrite += reported;
                usage.indexWrite += indexWrites;
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        synchronized (this) {
            usage.calls.merge(operation, 1L, Long::sum);
            if (context.exception() instanceof ConditionalCheckFailedException) {
                usage.tableWrite += 1; // DynamoDB charges the write whose condition failed
            }
        }
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }

    /** Index entries an item has: one per index whose partition key it carries (gsi1pk, gsi2pk). */
    private static int indexEntries(Map<String, AttributeValue> item) {
        return (item.containsKey("gsi1pk") ? 1 : 0) + (item.containsKey("gsi2pk") ? 1 : 0);
    }
}
