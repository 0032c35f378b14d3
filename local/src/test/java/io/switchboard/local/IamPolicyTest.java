package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IamPolicyTest {

    static final String ARN = "arn:aws:execute-api:us-east-1:000000000000:abc123/prod/$connect";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"" + ARN + "\"}]}                      | ALLOW",
        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"execute-api:*\",\"Resource\":[\"arn:aws:execute-api:*:*:abc123/prod/*\"]}}  | ALLOW",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}                                                  | ALLOW",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:*:*:other/*\"}]}    | DENY",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]} | DENY",
        "{\"Statement\":[]}                                                                                                             | DENY",
        "{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}                                                  | INVALID",
        "{\"Version\":\"2012-10-17\"}                                                                                                   | INVALID",
    })
    void evaluate(String policy, IamPolicy.Decision decision) {
        assertEquals(decision, IamPolicy.evaluate(Json.parse(policy), ARN));
    }
}
